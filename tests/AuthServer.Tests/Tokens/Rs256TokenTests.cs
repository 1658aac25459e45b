using System.Net;
using AuthServer.Core.Signing;
using AuthServer.Tests.Infrastructure;
using static AuthServer.Tests.Infrastructure.AuthServerFixture;

namespace AuthServer.Tests.Tokens;

public sealed class Rs256Server : AuthServerFixture
{
    protected override void Configure(Dictionary<string, string?> settings)
    {
        settings["AuthServer:Signing:Algorithm"] = "RS256";
        settings["AuthServer:Signing:IncludeX5c"] = "false";
    }
}

/// <summary>RS256 selected in settings, and the kid-only header a registry without x5c support needs.</summary>
public class Rs256TokenTests(Rs256Server server) : IClassFixture<Rs256Server>
{
    [Fact]
    public async Task Signs_with_rs256_and_sends_kid_without_x5c()
    {
        var answer = await server.Http.GetTokenAsync($"service={Service}&scope=repository:a/b:pull", Basic(AdminName, AdminPassword));
        Assert.Equal(HttpStatusCode.OK, answer.Status);
        var jwt = answer.Token;
        Assert.Equal("RS256", jwt.Header.GetProperty("alg").GetString());
        Assert.False(jwt.Header.TryGetProperty("x5c", out _));

        // The kid names the key in the JWKS; its certificate verifies the signature.
        var jwks = System.Text.Json.JsonDocument.Parse(await server.Http.GetStringAsync("/.well-known/jwks.json")).RootElement;
        var key = jwks.GetProperty("keys").EnumerateArray().Single(k => k.GetProperty("kid").GetString() == jwt.Header.GetProperty("kid").GetString());
        Assert.Equal("RSA", key.GetProperty("kty").GetString());
        using var certificate = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificate(
            Convert.FromBase64String(key.GetProperty("x5c")[0].GetString()!));
        using var rsa = System.Security.Cryptography.X509Certificates.RSACertificateExtensions.GetRSAPublicKey(certificate)!;
        Assert.Equal(LibtrustKeyId.FromKey(rsa), jwt.Header.GetProperty("kid").GetString());
        Assert.True(jwt.VerifiesWith(certificate));
    }
}
