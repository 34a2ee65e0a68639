"""Deployment: nginx in front of N Streamlit replicas on one database (see README, 部署)."""
