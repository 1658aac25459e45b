using System.Text.Json.Serialization;
using AuthServer.Registry.Storage;

namespace AuthServer.Registry.Api;

/// <summary><c>GET /v2/_catalog</c>: every repository, paged with <c>n</c> and <c>last</c>.</summary>
public static class CatalogEndpoint
{
    private sealed record CatalogPage([property: JsonPropertyName("repositories")] IReadOnlyList<string> Repositories);

    public static async Task HandleAsync(HttpContext http, RegistryStore store, CancellationToken ct)
    {
        if (!HttpMethods.IsGet(http.Request.Method)) throw Http.MethodNotAllowed(http, "GET");
        var (n, last) = Paging.Read(http.Request);
        var all = await store.RepositoriesAsync(ct);
        var page = Paging.Page(all, n, last, RegistryStore.CatalogKey, http.Response);
        await Http.WriteJsonAsync(http.Response, new CatalogPage(page), ct);
    }
}
