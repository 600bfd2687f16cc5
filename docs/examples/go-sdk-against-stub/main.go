// The official Alibaba Cloud OSS Go SDK v2 (unchanged) against `pact stub` serving the ovc pact:
// the SDK is configured as for the real service (region, account id, virtual-hosted addressing);
// only its HTTP client dials the stub, so the request it sends is the one the service would get.
//
//	go run . -stub 127.0.0.1:8080 -index exampleIndex
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"

	"github.com/aliyun/alibabacloud-oss-go-sdk-v2/oss"
	"github.com/aliyun/alibabacloud-oss-go-sdk-v2/oss/credentials"
	"github.com/aliyun/alibabacloud-oss-go-sdk-v2/oss/vectors"
)

func main() {
	stub := flag.String("stub", "127.0.0.1:8080", "address of pact stub")
	index := flag.String("index", "exampleIndex", "index name to delete")
	flag.Parse()

	// Every connection goes to the stub, whatever host the SDK addresses.
	dialer := &net.Dialer{}
	httpClient := &http.Client{Transport: &http.Transport{
		DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
			return dialer.DialContext(ctx, network, *stub)
		},
	}}
	cfg := oss.LoadDefaultConfig().
		WithCredentialsProvider(credentials.NewStaticCredentialsProvider("ak", "sk")).
		WithRegion("cn-hangzhou").WithAccountId("1234567890").
		WithDisableSSL(true).WithRetryMaxAttempts(1).
		WithHttpClient(httpClient)
	client := vectors.NewVectorsClient(cfg)

	_, err := client.DeleteVectorIndex(context.TODO(), &vectors.DeleteVectorIndexRequest{
		Bucket: oss.Ptr("examplebucket"), IndexName: oss.Ptr(*index),
	})
	var se *oss.ServiceError
	switch {
	case err == nil:
		fmt.Println("DeleteVectorIndex: success (204)")
	case errors.As(err, &se):
		fmt.Printf("DeleteVectorIndex: %d %s\n", se.StatusCode, se.Code)
	default:
		fmt.Println("DeleteVectorIndex failed:", err)
		os.Exit(1)
	}
}
