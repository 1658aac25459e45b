using System.Buffers.Text;
using System.Security.Cryptography;
using AuthServer.Core.Signing;

namespace AuthServer.Tests.Signing;

public class LibtrustKeyIdTests
{
    // distribution docs/spec/auth/jwt.md, the example EC P-256 key and its kid.
    private const string SpecX = "m7zUpx3b-zmVE5cymSs64POG9QcyEpJaYCD82-549_Q";
    private const string SpecY = "dU3biz8sZ_8GPB-odm8Wxz3lNDr1xcAQQPQaOcr1fmc";
    private const string SpecKid = "PYYO:TEWU:V7JH:26JV:AQTZ:LJC3:SXVJ:XGHA:34F2:2LAQ:ZRMK:Z7Q6";

    private static ECDsa SpecKey() => ECDsa.Create(new ECParameters
    {
        Curve = ECCurve.NamedCurves.nistP256,
        Q = new ECPoint { X = Base64Url.DecodeFromChars(SpecX), Y = Base64Url.DecodeFromChars(SpecY) },
    });

    [Fact]
    public void Matches_the_spec_worked_example()
    {
        using var key = SpecKey();
        Assert.Equal(SpecKid, LibtrustKeyId.FromKey(key));
    }

    [Fact]
    public void Hashes_the_91_byte_subject_public_key_info()
    {
        using var key = SpecKey();
        var spki = key.ExportSubjectPublicKeyInfo();
        Assert.Equal(91, spki.Length);
        Assert.StartsWith("3059301306072a8648ce3d020106082a8648ce3d03010703420004", Convert.ToHexStringLower(spki));
    }

    [Fact]
    public void Has_twelve_groups_of_four_base32_characters()
    {
        using var rsa = RSA.Create(2048);
        var kid = LibtrustKeyId.FromKey(rsa);
        Assert.Equal(59, kid.Length);
        Assert.Matches("^([A-Z2-7]{4}:){11}[A-Z2-7]{4}$", kid);
    }
}
