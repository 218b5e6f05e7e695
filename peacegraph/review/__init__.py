"""Reviewing an extraction draft: drafts kept beside the graph, one decision per fact,
accepted facts written through the one write path, reviewed facts as seed YAML."""
