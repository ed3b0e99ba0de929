"""A pickled pandas frame committed, changed, checked for changes and committed again."""
import os

import pandas as pd
import git

repo = git.Repo.init(os.getcwd())
os.makedirs("cache", exist_ok=True)
frame = pd.DataFrame({"city": ["a", "b", "c"], "temp": [12.5, 17.0, 9.25]})
frame.to_pickle("cache/weather.pkl")
repo.index.add(["cache/weather.pkl"])
repo.index.commit("weather frame")
frame.loc[len(frame)] = ["d", 20.0]
frame.to_pickle("cache/weather.pkl")
print("dirty:", repo.is_dirty())
repo.index.add(["cache/weather.pkl"])
repo.index.commit("one more city")
print("dirty after:", repo.is_dirty())
print("mean temp:", pd.read_pickle("cache/weather.pkl")["temp"].mean())
