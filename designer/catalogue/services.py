"""No writes here: instantiating a sample is
``designer.workflows.services.workflow_create_from_sample``."""
