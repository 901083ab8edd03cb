/**
 * Examples the README shows, kept compiling and tested: an {@code AppRegistry} reading the
 * apps from a database.
 */
@NullMarked
package dev.realtime.example;

import org.jspecify.annotations.NullMarked;
