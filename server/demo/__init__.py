"""The demo dataset (`suicha demo`): the 鸡西市 joint meeting, items, rosters, accounts."""
