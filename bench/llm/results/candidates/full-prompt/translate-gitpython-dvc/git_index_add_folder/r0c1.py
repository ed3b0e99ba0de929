from dvc.repo import Repo as DvcRepo

def add_data_to_dvc(data_folder):
    repo = DvcRepo(".")
    
    # Create the data directory if it doesn't exist
    os.makedirs("data/train", exist_ok=True)
    
    for i in range(2):
        with open(f"data/train/part{i}.csv", "w") as fh:
            fh.write(f"id,v\n{i},{i * 10}\n")
    
    # Add the data directory to DVC
    repo.add("data/train", remote="train_data", to_remote=True)
    
    # Commit the changes
    repo.commit("training data")

# Call the function with the data folder path
add_data_to_dvc("/work/wt-llmbench/bench/corpus/holdout/git/data")
