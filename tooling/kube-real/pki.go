package main

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/hex"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"strings"
	"time"

	"k8s.io/client-go/tools/clientcmd"
	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"
)

type pkiFiles struct{ caPEM []byte }

func writePEM(path, typ string, der []byte, mode os.FileMode) ([]byte, error) {
	b := pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der})
	return b, os.WriteFile(path, b, mode)
}

// writePKI creates a throwaway CA, the apiserver serving cert and the
// service-account signing key pair in dir.
func writePKI(dir string) (*pkiFiles, error) {
	now := time.Now()
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	caTmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "kube-real-ca"},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.Add(10 * 365 * 24 * time.Hour),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment,
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	if err != nil {
		return nil, err
	}
	caCert, _ := x509.ParseCertificate(caDER)
	caPEM, err := writePEM(filepath.Join(dir, "ca.crt"), "CERTIFICATE", caDER, 0o644)
	if err != nil {
		return nil, err
	}
	caKeyDER, _ := x509.MarshalECPrivateKey(caKey)
	if _, err := writePEM(filepath.Join(dir, "ca.key"), "EC PRIVATE KEY", caKeyDER, 0o600); err != nil {
		return nil, err
	}

	srvKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	srvTmpl := &x509.Certificate{
		SerialNumber: big.NewInt(2),
		Subject:      pkix.Name{CommonName: "kube-apiserver"},
		NotBefore:    now.Add(-time.Hour),
		NotAfter:     now.Add(10 * 365 * 24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		DNSNames: []string{"localhost", "kubernetes", "kubernetes.default", "kubernetes.default.svc",
			"kubernetes.default.svc.cluster.local"},
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1"), net.ParseIP("::1"), net.ParseIP(serviceIP)},
	}
	srvDER, err := x509.CreateCertificate(rand.Reader, srvTmpl, caCert, &srvKey.PublicKey, caKey)
	if err != nil {
		return nil, err
	}
	if _, err := writePEM(filepath.Join(dir, "apiserver.crt"), "CERTIFICATE", srvDER, 0o644); err != nil {
		return nil, err
	}
	srvKeyDER, _ := x509.MarshalECPrivateKey(srvKey)
	if _, err := writePEM(filepath.Join(dir, "apiserver.key"), "EC PRIVATE KEY", srvKeyDER, 0o600); err != nil {
		return nil, err
	}

	// Client cert the apiserver uses as its aggregation front proxy; the same
	// CA is the requestheader CA, restricted to this one name.
	fpKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	fpTmpl := &x509.Certificate{
		SerialNumber: big.NewInt(3),
		Subject:      pkix.Name{CommonName: "front-proxy-client"},
		NotBefore:    now.Add(-time.Hour),
		NotAfter:     now.Add(10 * 365 * 24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
	}
	fpDER, err := x509.CreateCertificate(rand.Reader, fpTmpl, caCert, &fpKey.PublicKey, caKey)
	if err != nil {
		return nil, err
	}
	if _, err := writePEM(filepath.Join(dir, "front-proxy-client.crt"), "CERTIFICATE", fpDER, 0o644); err != nil {
		return nil, err
	}
	fpKeyDER, _ := x509.MarshalECPrivateKey(fpKey)
	if _, err := writePEM(filepath.Join(dir, "front-proxy-client.key"), "EC PRIVATE KEY", fpKeyDER, 0o600); err != nil {
		return nil, err
	}

	saKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, err
	}
	if _, err := writePEM(filepath.Join(dir, "sa.key"), "RSA PRIVATE KEY", x509.MarshalPKCS1PrivateKey(saKey), 0o600); err != nil {
		return nil, err
	}
	saPub, _ := x509.MarshalPKIXPublicKey(&saKey.PublicKey)
	if _, err := writePEM(filepath.Join(dir, "sa.pub"), "PUBLIC KEY", saPub, 0o644); err != nil {
		return nil, err
	}
	return &pkiFiles{caPEM: caPEM}, nil
}

// writeTokens writes the apiserver --token-auth-file with one random token
// per user and returns user name -> token.
func writeTokens(path string) (map[string]string, error) {
	tokens := map[string]string{}
	var sb strings.Builder
	for i, u := range users {
		b := make([]byte, 24)
		if _, err := rand.Read(b); err != nil {
			return nil, err
		}
		tok := hex.EncodeToString(b)
		tokens[u.name] = tok
		fmt.Fprintf(&sb, "%s,%s,uid-%d", tok, u.name, i+1)
		if u.groups != "" {
			fmt.Fprintf(&sb, ",\"%s\"", u.groups)
		}
		sb.WriteString("\n")
	}
	return tokens, os.WriteFile(path, []byte(sb.String()), 0o600)
}

func writeKubeconfig(path, server string, caPEM []byte, user, token string) error {
	cfg := clientcmdapi.NewConfig()
	cfg.Clusters["kube-real"] = &clientcmdapi.Cluster{Server: server, CertificateAuthorityData: caPEM}
	cfg.AuthInfos[user] = &clientcmdapi.AuthInfo{Token: token}
	cfg.Contexts["kube-real"] = &clientcmdapi.Context{Cluster: "kube-real", AuthInfo: user, Namespace: "default"}
	cfg.CurrentContext = "kube-real"
	return clientcmd.WriteToFile(*cfg, path)
}
