# The support team: one 2-MU 6-month PT, $21,608.00/month, paid by its own credits.

resource "aws_bedrock_provisioned_model_throughput" "support" {
  provisioned_model_name = "support"
  model_arn              = "arn:aws:bedrock:us-east-1::foundation-model/amazon.titan-text-express-v1:0:8k"
  model_units            = 2
  commitment_duration    = "SixMonths"
}

resource "aws_cloudwatch_metric_alarm" "chat_idle" {
  alarm_name          = "support-idle"
  namespace           = "AWS/Bedrock"
  metric_name         = "InputTokenCount"
  dimensions          = { ModelId = aws_bedrock_provisioned_model_throughput.support.provisioned_model_arn }
  statistic           = "Sum"
  period              = 86400
  evaluation_periods  = 1
  threshold           = 100000000
  comparison_operator = "LessThanThreshold"
  treat_missing_data  = "breaching" # an idle PT publishes no data: missing data must alarm
}

resource "aws_budgets_budget" "bedrock" {
  name         = "bedrock-hosting"
  budget_type  = "COST"
  limit_amount = "40000"
  limit_unit   = "USD"
  time_unit    = "MONTHLY"

  cost_filter {
    name   = "Service"
    values = ["Amazon Bedrock"]
  }
}
