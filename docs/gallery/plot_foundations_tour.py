"""
The foundations tour on NumPy
=============================

Every step prints its code and the value xpmath computes, and checks it against the known
answer. The same tour runs on every installed backend with ``xpmath tour --backend NAME``;
the test suite runs it on all of them.
"""

# %%
# Run the tour. Each step prints its code, its result and whether the result is right.
import os
import tempfile

import matplotlib.image as mpimg
import matplotlib.pyplot as plt

from xpmath.tour import run_tour

plot_dir = tempfile.mkdtemp(prefix="xpmath-tour-")
results = run_tour("numpy", plot_dir=plot_dir)
print(f"{sum(r.ok for r in results)} of {len(results)} steps agree with the known answers")

# %%
# The plots the tour draws, shown side by side.
pngs = sorted(f for f in os.listdir(plot_dir) if f.endswith(".png"))
fig, axes = plt.subplots(1, len(pngs), figsize=(4 * len(pngs), 3), squeeze=False)
for ax, name in zip(axes[0], pngs):
    ax.imshow(mpimg.imread(os.path.join(plot_dir, name)))
    ax.set_title(name.removesuffix(".png"))
    ax.axis("off")
fig.tight_layout()
