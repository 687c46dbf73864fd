"""Records (档案): printed forms, the one-inspection archive, reports and credit feedback."""
