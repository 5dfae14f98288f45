"""Evaluation of mentor-finder: retrieval quality, dialogue behaviour and speed (``python -m eval``)."""
