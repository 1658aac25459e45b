using AuthServer.Admin.Auth;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;

namespace AuthServer.Admin;

/// <summary>Title, and the two ways to sign in, declared for every operation of the document.</summary>
public sealed class AdminOpenApi(IOptions<AdminOptions> admin) : IOpenApiDocumentTransformer
{
    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info = new OpenApiInfo
        {
            Title = "AuthServer admin API",
            Version = "v1",
            Description = "Users, groups, robots, access tokens, refresh sessions, rules, signing keys, audit events and policy explain. " +
                          "Errors are problem details (RFC 9457).",
        };
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes = new Dictionary<string, IOpenApiSecurityScheme>
        {
            ["basic"] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "basic",
                Description = $"An administrator's password, or an access token with the scope {AdminScope.Text}",
            },
            ["bearer"] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                BearerFormat = "JWT",
                Description = $"A token from GET /token?service={admin.Value.Audience}&scope={AdminScope.Text}",
            },
        };
        document.Security =
        [
            new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("basic", document)] = [] },
            new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("bearer", document)] = [] },
        ];
        return Task.CompletedTask;
    }
}
