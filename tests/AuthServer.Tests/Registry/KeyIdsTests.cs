using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using AuthServer.Registry.Auth;

namespace AuthServer.Tests.Registry;

/// <summary>The registry's own key naming, checked against the spec's worked example (jwt.md's P-256 key).</summary>
public class KeyIdsTests
{
    private static ECDsa SpecKey() => ECDsa.Create(new ECParameters
    {
        Curve = ECCurve.NamedCurves.nistP256,
        Q = new ECPoint
        {
            X = Base64Url.DecodeFromChars("m7zUpx3b-zmVE5cymSs64POG9QcyEpJaYCD82-549_Q"),
            Y = Base64Url.DecodeFromChars("dU3biz8sZ_8GPB-odm8Wxz3lNDr1xcAQQPQaOcr1fmc"),
        },
    });

    [Fact]
    public void Libtrust_id_matches_the_spec_worked_example()
    {
        using var key = SpecKey();
        Assert.Equal("PYYO:TEWU:V7JH:26JV:AQTZ:LJC3:SXVJ:XGHA:34F2:2LAQ:ZRMK:Z7Q6", KeyIds.Libtrust(key));
    }

    [Fact]
    public void Thumbprint_matches_the_spec_worked_example()
    {
        using var key = SpecKey();
        Assert.Equal("8qjioA3ZA7ti2JIE7c-U8smBFuZolQZvhSHDPU3hhB8", KeyIds.Thumbprint(key));
    }

    [Fact]
    public void Thumbprint_drops_a_leading_zero_byte_as_distribution_3_does()
    {
        // util.go uses big.Int.Bytes(): a coordinate starting with 0x00 loses that byte, so the
        // registry's ID differs from a strict RFC 7638 thumbprint for such keys.
        // Exactly one leading zero, in X only.
        ECDsa key;
        do key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        while (key.ExportParameters(false).Q is var q && (q.X![0] != 0 || q.X[1] == 0 || q.Y![0] == 0));
        using (key)
        {
            var p = key.ExportParameters(false);
            string Thumbprint(byte[] x) => Base64Url.EncodeToString(SHA256.HashData(Encoding.UTF8.GetBytes(
                $"{{\"crv\":\"P-256\",\"kty\":\"EC\",\"x\":\"{Base64Url.EncodeToString(x)}\",\"y\":\"{Base64Url.EncodeToString(p.Q.Y)}\"}}")));

            Assert.Equal(Thumbprint(p.Q.X![1..]), KeyIds.Thumbprint(key));
            Assert.NotEqual(Thumbprint(p.Q.X), KeyIds.Thumbprint(key));
        }
    }
}
