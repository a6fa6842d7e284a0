"""Links to EU open-data graphs, resolved by an explicit refresh and used offline afterwards.

`refresh` is the only code that talks to the network: it queries the configured endpoints and
writes a reviewable lock file and snapshots of the targets. `review` accepts or rejects
candidates. `build` turns accepted rows into the links graph from those files alone.
"""
