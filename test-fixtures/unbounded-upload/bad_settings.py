DEBUG = False
DATA_UPLOAD_MAX_MEMORY_SIZE = 52428800  # expect: unbounded-upload
