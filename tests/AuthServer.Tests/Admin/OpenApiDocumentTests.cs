using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using AuthServer.Tests.Infrastructure;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace AuthServer.Tests.Admin;

/// <summary>The OpenAPI document and the mapped routes describe the same API, and every route in it is guarded.</summary>
public partial class OpenApiDocumentTests(AuthServerFixture server) : IClassFixture<AuthServerFixture>
{
    private async Task<JsonElement> DocumentAsync()
    {
        var answer = await server.Http.ApiGetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, answer.Status);
        return answer.Body;
    }

    private static IEnumerable<(string Method, string Path, JsonElement Operation)> Operations(JsonElement document) =>
        document.GetProperty("paths").EnumerateObject()
            .SelectMany(p => p.Value.EnumerateObject().Select(o => (o.Name.ToUpperInvariant(), p.Name, o.Value)));

    private HashSet<(string Method, string Path)> MappedApiRoutes() =>
        server.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api/v1", StringComparison.Ordinal) == true)
            .SelectMany(e => (e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? []).Select(m => (m, Normalize(e.RoutePattern.RawText!))))
            .ToHashSet();

    /// <summary>Route constraints (<c>{id:long}</c>) are not part of an OpenAPI path, nor is a trailing slash.</summary>
    private static string Normalize(string pattern) => ConstraintRegex().Replace(pattern, "{$1}").TrimEnd('/');

    [Fact]
    public async Task Every_documented_operation_is_mapped_and_every_mapped_api_route_is_documented()
    {
        var documented = Operations(await DocumentAsync()).Select(o => (o.Method, o.Path)).ToHashSet();
        var mapped = MappedApiRoutes();

        Assert.True(mapped.Count >= 40, $"only {mapped.Count} admin routes mapped");
        Assert.Empty(documented.Except(mapped));
        Assert.Empty(mapped.Except(documented));
    }

    [Fact]
    public async Task Every_documented_operation_has_a_summary_an_id_and_its_error_answers()
    {
        foreach (var (method, path, operation) in Operations(await DocumentAsync()))
        {
            var where = $"{method} {path}";
            Assert.False(string.IsNullOrWhiteSpace(operation.GetProperty("summary").GetString()), where);
            Assert.False(string.IsNullOrWhiteSpace(operation.GetProperty("operationId").GetString()), where);
            var responses = operation.GetProperty("responses");
            Assert.True(responses.TryGetProperty("401", out _), where);
            Assert.True(responses.TryGetProperty("403", out _), where);
            Assert.Contains(responses.EnumerateObject(), r => r.Name.StartsWith('2'));
            if (path.Contains('{')) Assert.True(responses.TryGetProperty("404", out _) || method == "POST", where);
        }
    }

    [Fact]
    public async Task The_document_declares_both_ways_to_sign_in_and_the_body_shapes()
    {
        var document = await DocumentAsync();
        var schemes = document.GetProperty("components").GetProperty("securitySchemes");
        Assert.Equal("basic", schemes.GetProperty("basic").GetProperty("scheme").GetString());
        Assert.Equal("bearer", schemes.GetProperty("bearer").GetProperty("scheme").GetString());
        var createUser = document.GetProperty("paths").GetProperty("/api/v1/users").GetProperty("post");
        Assert.True(createUser.GetProperty("requestBody").GetProperty("content").TryGetProperty("application/json", out _));
        var schemas = document.GetProperty("components").GetProperty("schemas");
        foreach (var schema in new[] { "UserView", "RuleInput", "Explanation", "CreatedRobotView", "CreatedAccessTokenView", "AuditPage", "LintReport" })
            Assert.True(schemas.TryGetProperty(schema, out _), schema);
    }

    [Fact]
    public async Task Every_documented_operation_answers_401_without_credentials()
    {
        foreach (var (method, path, _) in Operations(await DocumentAsync()))
        {
            var concrete = ParameterRegex().Replace(path, "1");
            var answer = await server.Http.CallAsync(new HttpMethod(method), concrete, method is "POST" or "PUT" or "PATCH" ? new { } : null);
            Assert.True(answer.Status == HttpStatusCode.Unauthorized, $"{method} {concrete}: {(int)answer.Status}");
        }
    }

    [GeneratedRegex(@"\{([A-Za-z]+):[^}]+\}")]
    private static partial Regex ConstraintRegex();

    [GeneratedRegex(@"\{[A-Za-z]+\}")]
    private static partial Regex ParameterRegex();

    [Theory]
    [InlineData("UserCreate", "admin")]
    [InlineData("KeyCreate", "algorithm")]
    [InlineData("KeyCreate", "activate")]
    [InlineData("ExplainRequest", "account")]
    [InlineData("ExplainRequest", "accessToken")]
    public async Task A_field_the_api_does_not_require_is_not_required_in_the_document(string schema, string field)
    {
        var schemas = (await DocumentAsync()).GetProperty("components").GetProperty("schemas");
        var required = schemas.GetProperty(schema).TryGetProperty("required", out var list) ? list.EnumerateArray().Select(r => r.GetString()).ToList() : [];
        Assert.True(schemas.GetProperty(schema).GetProperty("properties").TryGetProperty(field, out _), $"{schema} has no {field}");
        Assert.DoesNotContain(field, required);
    }
}
