#!/usr/bin/env python3
"""What one idle connection costs, by class: the difference between two `jcmd GC.class_histogram`
outputs (before and after connecting N clients), divided by N.
Usage: histogram-diff.py before.txt after.txt N [top]"""
import re
import sys


def read(path):
    counts = {}
    for line in open(path):
        m = re.match(r"\s*\d+:\s+(\d+)\s+(\d+)\s+(\S+)", line)
        if m:
            counts[m.group(3)] = (int(m.group(1)), int(m.group(2)))
    return counts


before, after, n = read(sys.argv[1]), read(sys.argv[2]), int(sys.argv[3])
top = int(sys.argv[4]) if len(sys.argv) > 4 else 25
rows = []
for name, (count, size) in after.items():
    c0, s0 = before.get(name, (0, 0))
    rows.append(((size - s0) / n, (count - c0) / n, name))
rows.sort(reverse=True)
print("| bytes / conn | instances / conn | class |\n|---:|---:|---|")
for size, count, name in rows[:top]:
    print(f"| {size:,.0f} | {count:.2f} | `{name}` |")
print(f"| **{sum(r[0] for r in rows):,.0f}** | | total |")
