using AuthServer.Core.Identity;

namespace AuthServer.WebConsole;

/// <summary>
/// A page of sessions read as one page from the database (filtered and counted there): a busy
/// server has many more docker logins than the console could page in memory.
/// </summary>
public static class SessionPages
{
    public static async Task<(IReadOnlyList<SessionView> Items, Paging Paging)> LoadAsync(
        RefreshSessionService sessions, SessionFilter filter, int page, HttpRequest request, CancellationToken ct)
    {
        var size = Paging.DefaultSize;
        page = Math.Max(1, page);
        var found = await sessions.ListAsync(filter, (page - 1) * size, size, ct);
        var count = Math.Max(1, (found.Total + size - 1) / size);
        if (page > count)
        {
            // Past the end (a filter narrowed the list): show the last page, as Paging.Of does.
            page = count;
            found = await sessions.ListAsync(filter, (page - 1) * size, size, ct);
        }
        return (found.Items, Paging.For(page, count, found.Total, size, request));
    }
}
