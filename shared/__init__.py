"""Domain code both the server and the field app import.

Nothing here touches a database, the network or a window: the draw algorithm
(`shared.draw`), credit-code validation, the error catalogue and the sync
protocol messages are plain Python so either side can run and test them alone.
"""
