using System.Buffers.Text;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using AuthServer.Core.Signing;

namespace AuthServer.Tests.Signing;

/// <summary>
/// RFC 7638 thumbprints: what registry 3.x keys rootcertbundle certificates by. The expected
/// values were computed outside .NET (Python hashlib over the canonical JSON), not by this code.
/// </summary>
public class JwkThumbprintTests
{
    private static ECDsa EcKey(string x, string y) => ECDsa.Create(new ECParameters
    {
        Curve = ECCurve.NamedCurves.nistP256,
        Q = new ECPoint { X = Base64Url.DecodeFromChars(x), Y = Base64Url.DecodeFromChars(y) },
    });

    [Fact]
    public void Ec_key_matches_the_spec_worked_example()
    {
        // distribution jwt.md's example key; thumbprint from spec/token-protocol.md §4.
        using var key = EcKey("m7zUpx3b-zmVE5cymSs64POG9QcyEpJaYCD82-549_Q", "dU3biz8sZ_8GPB-odm8Wxz3lNDr1xcAQQPQaOcr1fmc");
        Assert.Equal("8qjioA3ZA7ti2JIE7c-U8smBFuZolQZvhSHDPU3hhB8", JwkThumbprint.FromKey(key));
        Assert.Equal(JwkThumbprint.FromKey(key), JwkThumbprint.AsRegistry3Computes(key));
    }

    [Fact]
    public void Rsa_key_matches_the_rfc_7638_example()
    {
        // RFC 7638 §3.1.
        using var key = RSA.Create(new RSAParameters
        {
            Modulus = Base64Url.DecodeFromChars(
                "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W" +
                "-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt" +
                "-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw"),
            Exponent = Base64Url.DecodeFromChars("AQAB"),
        });
        Assert.Equal("NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs", JwkThumbprint.FromKey(key));
        Assert.Equal(JwkThumbprint.FromKey(key), JwkThumbprint.AsRegistry3Computes(key));
    }

    [Fact]
    public void Ec_key_whose_x_starts_with_a_zero_byte_keeps_it_and_registry_3_does_not()
    {
        // X = 0x00 2e 17 ...: RFC 7518 keeps all 32 bytes; Go's big.Int.Bytes() gives 31.
        using var key = EcKey("AC4XcmU5NXpx4ZAaAbbgl8GOrMF4RwfxpWFstLWLQm8", "0AN2og6jKyLV7wPMrrUFwWyJecSmmCazHfejBmJy0sY");
        Assert.True(JwkThumbprint.HasLeadingZeroCoordinate(key));
        Assert.Equal("jS3J5RMMTI9UaspKM4j2colXwBj5QUT_wwuryxwITNE", JwkThumbprint.FromKey(key));
        Assert.Equal("ymsLFjpkrA0vIklKdPREQkT2oYb7OzCKhKyMpllGVwo", JwkThumbprint.AsRegistry3Computes(key));
    }

    [Fact]
    public void Keys_we_create_never_start_a_coordinate_with_a_zero_byte()
    {
        // About 1 P-256 key in 128 would; a thousand makes a vacuous pass vanishingly unlikely.
        var protector = new KeyProtector(new byte[32]);
        for (var i = 0; i < 1000; i++)
        {
            var key = SigningKeyFactory.Create(SigningAlgorithms.ES256, SigningKeyState.Next, protector, DateTime.UtcNow, 1);
            using var certificate = X509CertificateLoader.LoadCertificate(key.Certificate);
            using var ec = certificate.GetECDsaPublicKey()!;
            Assert.False(JwkThumbprint.HasLeadingZeroCoordinate(ec));
            Assert.Equal(JwkThumbprint.FromCertificate(certificate), JwkThumbprint.AsRegistry3Computes(ec));
        }
    }
}
