"""Pure helpers every app uses: number grammar and text, decoding uploaded bytes, spreadsheet-safe text.

Nothing here imports Django or any app of ours (tests/test_layers.py checks it), so it is tested
with plain values and usable from commands, workers and pure modules alike.
"""
