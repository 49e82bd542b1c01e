//! Terraform HCL (`.tf`, `.tfvars`): module directories evaluated the way `terraform plan` sees them, into the model.

pub mod functions;
pub mod value;
