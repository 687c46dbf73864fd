"""Plans: annual and joint inspection plans (抽查计划) and their lifecycle."""
