module ovc/go-sdk-against-stub

go 1.18

require github.com/aliyun/alibabacloud-oss-go-sdk-v2 v1.5.1

require golang.org/x/time v0.4.0 // indirect
