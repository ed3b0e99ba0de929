"""Commit a JSON-lines dataset and push it only when the repository has a remote."""
import json
import os

import git


class DatasetPublisher:
    def __init__(self, root="."):
        self.repo = git.Repo.init(root)
        self.root = root

    def write(self, name, records):
        path = os.path.join("datasets", name)
        os.makedirs(os.path.join(self.root, "datasets"), exist_ok=True)
        with open(os.path.join(self.root, path), "w") as fh:
            for record in records:
                fh.write(json.dumps(record) + "\n")
        return path

    def publish(self, paths, message):
        self.repo.index.add(paths)
        self.repo.index.commit(message)
        if self.repo.remotes:
            self.repo.remote(name="origin").push()
            return "pushed"
        return "no remote configured, kept local"


publisher = DatasetPublisher()
reviews = [{"text": "great", "stars": 5}, {"text": "meh", "stars": 3}, {"text": "bad", "stars": 1}]
path = publisher.write("reviews.jsonl", reviews)
status = publisher.publish([path], "reviews dataset")
print("records:", len(reviews))
print("mean stars:", sum(r["stars"] for r in reviews) / len(reviews))
print("publish:", status)
