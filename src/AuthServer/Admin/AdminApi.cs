using System.Text.Json;
using System.Text.Json.Serialization;
using AuthServer.Admin.Auth;
using Microsoft.AspNetCore.Http.Json;

namespace AuthServer.Admin;

/// <summary>The admin REST API: every resource group under <c>/api/v1</c>, its sign-in, and its OpenAPI document.</summary>
public static class AdminApi
{
    public const string Prefix = "/api/v1";
    public const string OpenApiPath = "/openapi/v1.json";

    public static IServiceCollection AddAdminApi(this IServiceCollection services)
    {
        services.AddAdminAuthentication();
        services.Configure<JsonOptions>(o =>
        {
            // Names only: "effect": 99 would otherwise be stored as a rule neither allow nor deny.
            o.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false));
            // A misspelt field is an error, not silently nothing.
            o.SerializerOptions.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
            // {"admin": false, "admin": true} means whatever the last parser to read it decides: refused.
            o.SerializerOptions.AllowDuplicateProperties = false;
        });
        // Malformed input throws, so one handler answers it as problem details (never an empty 400).
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddOpenApi("v1", o =>
        {
            o.ShouldInclude = description => description.RelativePath?.StartsWith(Prefix[1..], StringComparison.Ordinal) == true;
            o.AddDocumentTransformer<AdminOpenApi>();
        });
        return services;
    }

    public static WebApplication MapAdminApi(this WebApplication app)
    {
        var api = app.MapGroup(Prefix)
            .RequireAuthorization(AdminAuthentication.Policy)
            .AddEndpointFilter<AdminRequestFilter>()
            .AddEndpointFilter<AdminProblems>()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);
        api.MapUserEndpoints();
        api.MapGroupEndpoints();
        api.MapRobotEndpoints();
        api.MapAccessTokenEndpoints();
        api.MapSessionEndpoints();
        api.MapRuleEndpoints();
        api.MapKeyEndpoints();
        api.MapAuditEndpoints();
        api.MapPolicyEndpoints();
        api.MapFederationEndpoints();
        api.MapLockoutEndpoints();
        api.MapIdentitySourceEndpoints();
        app.MapOpenApi(OpenApiPath);
        return app;
    }
}
