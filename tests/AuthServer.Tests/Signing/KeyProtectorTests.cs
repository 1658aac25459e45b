using System.Security.Cryptography;
using AuthServer.Core.Signing;

namespace AuthServer.Tests.Signing;

public class KeyProtectorTests
{
    [Fact]
    public void Round_trips_and_hides_the_plaintext()
    {
        var protector = new KeyProtector(RandomNumberGenerator.GetBytes(32));
        var secret = RandomNumberGenerator.GetBytes(100);
        var sealedBytes = protector.Protect(secret);
        Assert.DoesNotContain(Convert.ToHexString(secret[..16]), Convert.ToHexString(sealedBytes));
        Assert.Equal(secret, protector.Unprotect(sealedBytes));
    }

    [Fact]
    public void Tampering_or_another_key_is_detected()
    {
        var protector = new KeyProtector(RandomNumberGenerator.GetBytes(32));
        var sealedBytes = protector.Protect([1, 2, 3]);
        sealedBytes[^1] ^= 1;
        Assert.ThrowsAny<CryptographicException>(() => protector.Unprotect(sealedBytes));
        var other = new KeyProtector(RandomNumberGenerator.GetBytes(32));
        Assert.ThrowsAny<CryptographicException>(() => other.Unprotect(protector.Protect([1, 2, 3])));
    }
}
