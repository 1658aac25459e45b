using AuthServer.Core.Data;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;

namespace AuthServer.Hosting;

public static class HealthEndpoints
{
    public const string ReadyTag = "ready";
    public const string LivenessPath = "/healthz";
    public const string ReadinessPath = "/readyz";

    public static IServiceCollection AddAuthServerHealthChecks(this IServiceCollection services)
    {
        services.AddHealthChecks().AddDbContextCheck<AuthServerDbContext>("database", tags: [ReadyTag]);
        return services;
    }

    /// <summary><c>/healthz</c>: the process answers (liveness). <c>/readyz</c>: the database answers too.</summary>
    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks(LivenessPath, new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks(ReadinessPath, new HealthCheckOptions { Predicate = c => c.Tags.Contains(ReadyTag) });
        return app;
    }
}
