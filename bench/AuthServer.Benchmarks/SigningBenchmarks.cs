using System.Security.Cryptography;
using AuthServer.Core.Signing;
using BenchmarkDotNet.Attributes;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace AuthServer.Benchmarks;

/// <summary>
/// Signing one registry token as TokenIssuer does (same handler, claims and x5c header), with the
/// key material the server prepares once: what a request costs when no recent token can be reused.
/// </summary>
[MemoryDiagnoser]
public class SigningBenchmarks : IDisposable
{
    private static readonly JsonWebTokenHandler Handler = new() { SetDefaultTimesOnTokenCreation = false };
    private SigningKeyMaterial _es256 = null!;
    private SigningKeyMaterial _rs256 = null!;

    [GlobalSetup]
    public void Setup()
    {
        var protector = new KeyProtector(RandomNumberGenerator.GetBytes(32));
        _es256 = new SigningKeyMaterial(SigningKeyFactory.Create(SigningAlgorithms.ES256, SigningKeyState.Active, protector, DateTime.UtcNow, 365), protector);
        _rs256 = new SigningKeyMaterial(SigningKeyFactory.Create(SigningAlgorithms.RS256, SigningKeyState.Active, protector, DateTime.UtcNow, 365), protector);
    }

    [Benchmark(Baseline = true)]
    public string ES256() => Sign(_es256);

    [Benchmark]
    public string RS256() => Sign(_rs256);

    private static string Sign(SigningKeyMaterial key)
    {
        var now = DateTime.UtcNow;
        return Handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = "authserver",
            Audience = "registry",
            IssuedAt = now,
            NotBefore = now.AddSeconds(-5),
            Expires = now.AddMinutes(15),
            SigningCredentials = key.Credentials,
            Claims = new Dictionary<string, object>
            {
                ["sub"] = "bench",
                ["jti"] = Guid.NewGuid().ToString("N"),
                ["access"] = new[] { new Dictionary<string, object> { ["type"] = "repository", ["name"] = "team/app", ["actions"] = new[] { "pull" } } },
            },
            AdditionalHeaderClaims = new Dictionary<string, object> { ["x5c"] = key.X5c },
        });
    }

    public void Dispose()
    {
        _es256.Dispose();
        _rs256.Dispose();
        GC.SuppressFinalize(this);
    }
}
