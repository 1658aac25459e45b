using System.Buffers.Text;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;

namespace AuthServer.Registry.Auth;

/// <summary>
/// A trusted public key and the algorithms it may verify. Both registries accept only RSA and
/// ECDSA P-256/384/521 keys from the bundle (libtrust <c>FromCryptoPublicKey</c>), and check raw
/// ECDSA signatures (r‖s), never DER.
/// </summary>
public sealed class VerificationKey : IDisposable
{
    private readonly ECDsa? _ec;
    private readonly RSA? _rsa;

    private VerificationKey(ECDsa? ec, RSA? rsa)
    {
        _ec = ec;
        _rsa = rsa;
        Key = (AsymmetricAlgorithm?)ec ?? rsa!;
    }

    public AsymmetricAlgorithm Key { get; }

    public static VerificationKey FromCertificate(X509Certificate2 certificate)
    {
        if (certificate.GetECDsaPublicKey() is { } ec)
        {
            KeyIds.CurveName(ec.ExportParameters(false).Curve);
            return new VerificationKey(ec, null);
        }
        if (certificate.GetRSAPublicKey() is { } rsa) return new VerificationKey(null, rsa);
        throw new CryptographicException($"certificate {certificate.Subject} holds neither an RSA nor an ECDSA key");
    }

    /// <summary>A public JWK (RFC 7517/7518): kty EC with crv, x, y; or kty RSA with n, e.</summary>
    /// <exception cref="FormatException">not a supported public key.</exception>
    public static VerificationKey FromJwk(JsonElement jwk)
    {
        // JWK member names are exact in libtrust and go-jose alike.
        var fields = JsonFields.FromElement(jwk, VerificationMode.Distribution3);
        try
        {
            switch (fields.String("kty"))
            {
                case "EC":
                    var curve = fields.String("crv") switch
                    {
                        "P-256" => ECCurve.NamedCurves.nistP256,
                        "P-384" => ECCurve.NamedCurves.nistP384,
                        "P-521" => ECCurve.NamedCurves.nistP521,
                        var other => throw new FormatException($"unsupported curve \"{other}\""),
                    };
                    var ec = ECDsa.Create(new ECParameters { Curve = curve, Q = new ECPoint { X = Bytes(fields, "x"), Y = Bytes(fields, "y") } });
                    return new VerificationKey(ec, null);
                case "RSA":
                    var rsa = RSA.Create();
                    rsa.ImportParameters(new RSAParameters { Modulus = Bytes(fields, "n"), Exponent = Bytes(fields, "e") });
                    return new VerificationKey(null, rsa);
                case var kty:
                    throw new FormatException($"unsupported key type \"{kty}\": only EC and RSA keys can verify registry tokens");
            }
        }
        catch (CryptographicException e)
        {
            throw new FormatException($"not a valid public key: {e.Message}");
        }
    }

    private static byte[] Bytes(JsonFields fields, string name)
    {
        var text = fields.String(name) ?? throw new FormatException($"\"{name}\" is missing");
        try
        {
            return Base64Url.DecodeFromChars(text);
        }
        catch (FormatException)
        {
            throw new FormatException($"\"{name}\" is not base64url");
        }
    }

    /// <summary>
    /// EC keys verify only their curve's algorithm with a signature of exactly twice the field size
    /// (libtrust ec_key.go <c>Verify</c>; go-jose <c>ecEncrypterVerifier</c>). RSA keys verify
    /// RS256/384/512, and in 3.x also PS256/384/512 (go-jose). Anything else (HS*, none, EdDSA) is
    /// refused whatever the signature holds.
    /// </summary>
    public bool Verify(string alg, VerificationMode mode, ReadOnlySpan<byte> signedData, ReadOnlySpan<byte> signature, out string reason)
    {
        if (_ec is not null)
        {
            var p = _ec.ExportParameters(false);
            var (expected, hash) = KeyIds.CurveName(p.Curve) switch
            {
                "P-256" => ("ES256", HashAlgorithmName.SHA256),
                "P-384" => ("ES384", HashAlgorithmName.SHA384),
                _ => ("ES512", HashAlgorithmName.SHA512),
            };
            if (alg != expected)
            {
                reason = $"an EC {KeyIds.CurveName(p.Curve)} key verifies {expected}, not \"{alg}\"";
                return false;
            }
            if (signature.Length != 2 * p.Q.X!.Length)
            {
                reason = $"signature is {signature.Length} bytes; {expected} needs raw r||s of {2 * p.Q.X.Length}";
                return false;
            }
            reason = "signature does not match";
            return _ec.VerifyData(signedData, signature, hash, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        }

        var (rsaHash, padding) = alg switch
        {
            "RS256" => (HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
            "RS384" => (HashAlgorithmName.SHA384, RSASignaturePadding.Pkcs1),
            "RS512" => (HashAlgorithmName.SHA512, RSASignaturePadding.Pkcs1),
            "PS256" when mode == VerificationMode.Distribution3 => (HashAlgorithmName.SHA256, RSASignaturePadding.Pss),
            "PS384" when mode == VerificationMode.Distribution3 => (HashAlgorithmName.SHA384, RSASignaturePadding.Pss),
            "PS512" when mode == VerificationMode.Distribution3 => (HashAlgorithmName.SHA512, RSASignaturePadding.Pss),
            _ => (default, null),
        };
        if (padding is null)
        {
            reason = $"an RSA key does not verify \"{alg}\"";
            return false;
        }
        reason = "signature does not match";
        return _rsa!.VerifyData(signedData, signature, rsaHash, padding);
    }

    public void Dispose() => Key.Dispose();
}
