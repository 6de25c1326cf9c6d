import boto3

# A live cloud key in a test still opens the account it belongs to.
s3 = boto3.client("s3", aws_access_key_id="AKIAQ7RZ5JX2M4N6P8T3", aws_secret_access_key=SECRET)  # expect: hardcoded-secret
TEST_PASSWORD = "hunter2-test"
