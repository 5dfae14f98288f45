"""Evaluation of mentor-finder: retrieval quality, dialogue behaviour, speed (`python -m eval`)."""
