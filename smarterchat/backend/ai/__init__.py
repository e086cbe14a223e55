"""The AI half of hybrid service: providers, knowledge retrieval, classification, replies."""
