namespace AuthServer.WebConsole;

/// <summary>One page of a list and the links to its neighbours, keeping the list's filter.</summary>
public sealed record Paging(int Page, int PageCount, int Total, int Size, Func<int, string> Link)
{
    public const int DefaultSize = 25;

    // Not "page": Razor Pages keeps that route value for the page itself.
    public const string Query = "p";

    public bool HasPrevious => Page > 1;
    public bool HasNext => Page < PageCount;

    /// <summary>Pages a list the domain service returned whole (tokens, robots, sessions, rules: counted in hundreds, not millions).</summary>
    public static (IReadOnlyList<T> Items, Paging Paging) Of<T>(IReadOnlyList<T> all, int page, HttpRequest request, int size = DefaultSize)
    {
        var count = Math.Max(1, (all.Count + size - 1) / size);
        page = Math.Clamp(page, 1, count);
        return (all.Skip((page - 1) * size).Take(size).ToArray(), For(page, count, all.Count, size, request));
    }

    public static Paging For(int page, int pageCount, int total, int size, HttpRequest request) =>
        new(page, pageCount, total, size, p => With(request, Query, p.ToString(System.Globalization.CultureInfo.InvariantCulture)));

    /// <summary>The current address with one query value replaced.</summary>
    public static string With(HttpRequest request, string key, string value)
    {
        var query = request.Query.Where(q => !string.Equals(q.Key, key, StringComparison.OrdinalIgnoreCase))
            .SelectMany(q => q.Value.Select(v => KeyValuePair.Create(q.Key, v)))
            .Append(KeyValuePair.Create(key, (string?)value));
        return request.Path + Microsoft.AspNetCore.Http.QueryString.Create(query);
    }
}
