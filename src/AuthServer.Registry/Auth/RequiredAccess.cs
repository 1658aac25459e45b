namespace AuthServer.Registry.Auth;

/// <summary>
/// What a request needs, exactly as distribution computes it (registry/handlers/app.go
/// <c>appendAccessRecords</c> and <c>appendCatalogAccessRecord</c>, the same in 2.8 and 3.x).
/// </summary>
public static class RequiredAccess
{
    public const string RepositoryType = "repository";

    /// <summary><c>GET /v2/</c> needs no access: any valid token passes.</summary>
    public static readonly IReadOnlyList<AccessItem> None = [];

    /// <summary>The catalog "is considered an administrative action" (distribution#3165): the literal action <c>*</c>.</summary>
    public static readonly IReadOnlyList<AccessItem> Catalog = [new("registry", "catalog", AccessItem.All)];

    public static IReadOnlyList<AccessItem> ForRepository(string method, string repository, string? from)
    {
        var items = new List<AccessItem>(3);
        Append(items, method, repository);
        // "mounting a blob from one repository to another requires pull (GET) access to the source
        // repository": app.go reads r.FormValue("from") on every repository request, not only on a mount.
        if (!string.IsNullOrEmpty(from)) Append(items, HttpMethods.Get, from);
        return items;
    }

    // Go compares the method string as sent; any other method needs no repository access.
    private static void Append(List<AccessItem> items, string method, string repository)
    {
        switch (method)
        {
            case "GET" or "HEAD":
                items.Add(new(RepositoryType, repository, AccessItem.Pull));
                break;
            case "POST" or "PUT" or "PATCH":
                items.Add(new(RepositoryType, repository, AccessItem.Pull));
                items.Add(new(RepositoryType, repository, AccessItem.Push));
                break;
            case "DELETE":
                items.Add(new(RepositoryType, repository, AccessItem.Delete));
                break;
        }
    }
}
