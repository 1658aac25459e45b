using AuthServer.Registry.Errors;

namespace AuthServer.Registry.Api;

/// <summary>
/// <c>n</c>/<c>last</c> paging of the catalog and the tag list (3.x handlers/catalog.go): a
/// non-integer, negative or too large <c>n</c> is PAGINATION_NUMBER_INVALID; a page that may have
/// a successor carries <c>Link: &lt;url&gt;; rel="next"</c>.
/// </summary>
public static class Paging
{
    public const int DefaultEntries = 100;
    public const int MaxEntries = 1000;

    public static (int N, string? Last) Read(HttpRequest request)
    {
        var last = request.Query["last"].ToString();
        var raw = request.Query["n"].ToString();
        if (raw.Length == 0) return (DefaultEntries, last.Length == 0 ? null : last);
        if (!int.TryParse(raw, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var n) || n < 0)
            throw new RegistryException(ErrorCode.PaginationNumberInvalid, new Dictionary<string, string> { ["n"] = raw });
        if (n > MaxEntries)
            throw new RegistryException(ErrorCode.PaginationNumberInvalid, new Dictionary<string, int> { ["n"] = n });
        return (n, last.Length == 0 ? null : last);
    }

    /// <summary>Entries after <paramref name="last"/> (in the order <paramref name="key"/> gives), at most <paramref name="n"/>.</summary>
    public static IReadOnlyList<string> Page(IReadOnlyList<string> sorted, int n, string? last, Func<string, string> key, HttpResponse response)
    {
        var after = last is null ? sorted : sorted.Where(s => string.CompareOrdinal(key(s), key(last)) > 0).ToList();
        var page = after.Take(n).ToList();
        if (page.Count > 0 && after.Count > page.Count)
        {
            var request = response.HttpContext.Request;
            var next = QueryString.Create(new Dictionary<string, string?>
            {
                ["last"] = page[^1],
                ["n"] = n.ToString(System.Globalization.CultureInfo.InvariantCulture),
            });
            response.Headers.Link = $"<{request.PathBase}{request.Path}{next}>; rel=\"next\"";
        }
        return page;
    }
}
