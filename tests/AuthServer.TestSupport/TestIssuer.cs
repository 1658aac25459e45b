using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace AuthServer.TestSupport;

/// <summary>
/// A GitHub-Actions-shaped OIDC issuer on loopback: a discovery document and a JWKS, tokens with
/// repository, ref and sub claims, RS256 or ES256, and keys it can rotate. Counts its JWKS fetches.
/// </summary>
public sealed class TestIssuer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly List<SecurityKey> _published = [];
    private SigningCredentials _rsa = null!;
    private SigningCredentials _ec = null!;
    private int _jwksFetches;

    public string Url { get; }
    public int JwksFetches => Volatile.Read(ref _jwksFetches);

    public TestIssuer()
    {
        Rotate();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        _app = builder.Build();
        _app.MapGet("/.well-known/openid-configuration", () => Results.Json(new
        {
            issuer = Url,
            jwks_uri = Url + "/.well-known/jwks",
            id_token_signing_alg_values_supported = new[] { "RS256", "ES256" },
            response_types_supported = new[] { "id_token" },
            subject_types_supported = new[] { "public" },
        }));
        _app.MapGet("/.well-known/jwks", () =>
        {
            Interlocked.Increment(ref _jwksFetches);
            lock (_published)
                return Results.Text(JsonSerializer.Serialize(new { keys = _published.Select(JsonWebKeyConverter.ConvertFromSecurityKey).Select(Public) }), "application/json");
        });
        _app.StartAsync().GetAwaiter().GetResult();
        Url = _app.Urls.First().TrimEnd('/');
    }

    /// <summary>New signing keys, published; the old ones stay published unless <paramref name="dropOld"/>.</summary>
    public void Rotate(bool dropOld = false)
    {
        var rsa = new RsaSecurityKey(RSA.Create(2048)) { KeyId = "rsa-" + Guid.NewGuid().ToString("N")[..8] };
        var ec = new ECDsaSecurityKey(ECDsa.Create(ECCurve.NamedCurves.nistP256)) { KeyId = "ec-" + Guid.NewGuid().ToString("N")[..8] };
        lock (_published)
        {
            if (dropOld) _published.Clear();
            _published.Add(rsa);
            _published.Add(ec);
        }
        _rsa = new SigningCredentials(rsa, SecurityAlgorithms.RsaSha256);
        _ec = new SigningCredentials(ec, SecurityAlgorithms.EcdsaSha256);
    }

    /// <summary>An ID token as GitHub Actions issues one for a job of <paramref name="repository"/> at <paramref name="gitRef"/>.</summary>
    public string Token(
        string audience, string repository = "octo/app", string gitRef = "refs/heads/main", TimeSpan? lifetime = null,
        string? issuer = null, bool ec = false, DateTime? issuedAt = null, SigningCredentials? signWith = null, bool unsigned = false)
    {
        var now = issuedAt ?? DateTime.UtcNow;
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = issuer ?? Url,
            Audience = audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + (lifetime ?? TimeSpan.FromMinutes(5)),
            Subject = new ClaimsIdentity(
            [
                new Claim("sub", $"repo:{repository}:ref:{gitRef}"),
                new Claim("repository", repository),
                new Claim("ref", gitRef),
                new Claim("repository_owner", repository.Split('/')[0]),
            ]),
            SigningCredentials = unsigned ? null : signWith ?? (ec ? _ec : _rsa),
        };
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(descriptor);
    }

    private static object Public(JsonWebKey k) => k.Kty == "RSA"
        ? new { kty = k.Kty, kid = k.Kid, use = "sig", alg = "RS256", n = k.N, e = k.E }
        : new { kty = k.Kty, kid = k.Kid, use = "sig", alg = "ES256", crv = k.Crv, x = k.X, y = k.Y };

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
