"""Sensor CSVs already committed; recalibrate one, detect modified files with index.diff(None), stage
tracked changes with `git add -u` and commit."""
import os

import numpy as np
import pandas as pd
import git

SENSORS = ["s1", "s2", "s3"]


def path_for(sensor):
    return os.path.join("sensors", f"{sensor}.csv")


def write_sensor(sensor, offset, seed):
    rng = np.random.default_rng(seed)
    pd.DataFrame({"t": np.arange(20), "reading": (rng.normal(size=20) + offset).round(3)}).to_csv(
        path_for(sensor), index=False)


def main():
    os.makedirs("sensors", exist_ok=True)
    repo = git.Repo.init(".")
    for i, s in enumerate(SENSORS):
        write_sensor(s, 0.0, i)
    repo.index.add([path_for(s) for s in SENSORS])
    repo.index.commit("raw sensor dumps")

    write_sensor("s2", -0.5, 1)  # recalibrated sensor two
    modified = sorted(d.a_path for d in repo.index.diff(None))
    print("modified:", modified)
    repo.git.add(u=True)
    repo.index.commit("recalibrate s2")
    means = {s: round(float(pd.read_csv(path_for(s))["reading"].mean()), 3) for s in SENSORS}
    print("mean readings:", means)
    print("clean:", not repo.is_dirty())


if __name__ == "__main__":
    main()
