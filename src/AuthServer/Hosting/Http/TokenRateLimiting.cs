using System.Threading.RateLimiting;
using AuthServer.Core.Audit;
using AuthServer.Core.SignIn;
using AuthServer.Tokens;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace AuthServer.Hosting;

/// <summary>
/// ASP.NET Core's rate limiter on /token, one token bucket per client address. A refusal is the
/// registry's 429 (TOOMANYREQUESTS) with Retry-After, and is audited like any token request.
/// </summary>
public static class TokenRateLimiting
{
    public const string Policy = "token-per-address";

    public static IServiceCollection AddTokenRateLimiting(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RateLimitOptions>().Bind(configuration.GetSection(RateLimitOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddRateLimiter(limiter =>
        {
            limiter.AddPolicy(Policy, http =>
            {
                var options = http.RequestServices.GetRequiredService<IOptions<RateLimitOptions>>().Value;
                var key = ClientAddress.Key(http.Connection.RemoteIpAddress) ?? "unknown";
                if (!options.Enabled) return RateLimitPartition.GetNoLimiter(key);
                return RateLimitPartition.GetTokenBucketLimiter(key, _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = options.Burst,
                    TokensPerPeriod = options.PermitsPerSecond,
                    ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                    QueueLimit = 0,
                    AutoReplenishment = true,
                });
            });
            limiter.OnRejected = RejectAsync;
        });
        return services;
    }

    private static async ValueTask RejectAsync(OnRejectedContext context, CancellationToken ct)
    {
        var http = context.HttpContext;
        var wait = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromSeconds(1);
        var services = http.RequestServices;
        var record = new TokenAudit(http, services.GetRequiredService<TimeProvider>());
        await services.GetRequiredService<AuditWriter>().WriteAsync(record.ToEvent(AuditOutcome.Limited, "request rate limit of the address"));
        var realm = services.GetRequiredService<IOptions<Core.Signing.TokenOptions>>().Value.Realm;
        await TokenResults.Error(TokenError.RateLimited(wait), realm).ExecuteAsync(http);
    }
}
