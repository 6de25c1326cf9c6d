DEBUG = False
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024  # expect: unbounded-upload
