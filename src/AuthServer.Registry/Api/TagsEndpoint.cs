using System.Text.Json.Serialization;
using AuthServer.Registry.Errors;
using AuthServer.Registry.Storage;

namespace AuthServer.Registry.Api;

/// <summary><c>GET /v2/&lt;name&gt;/tags/list</c>: the repository's tags, paged like the catalog.</summary>
public static class TagsEndpoint
{
    private sealed record TagList([property: JsonPropertyName("name")] string Name, [property: JsonPropertyName("tags")] IReadOnlyList<string> Tags);

    public static async Task HandleAsync(HttpContext http, RegistryRoute route, RegistryStore store, CancellationToken ct)
    {
        if (!HttpMethods.IsGet(http.Request.Method)) throw Http.MethodNotAllowed(http, "GET");
        var (n, last) = Paging.Read(http.Request);
        var tags = await store.TagsAsync(route.Name, ct)
            ?? throw new RegistryException(ErrorCode.NameUnknown, new Dictionary<string, string> { ["name"] = route.Name });
        var page = Paging.Page(tags, n, last, t => t, http.Response);
        await Http.WriteJsonAsync(http.Response, new TagList(route.Name, page), ct);
    }
}
