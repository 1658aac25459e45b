namespace AuthServer.Core.Policy;

/// <summary>
/// Builds the groups of each user from membership rows, one row at a time: read in user order
/// from the database, 200,000 rows need no list of their own and no sort. Rows of one user that
/// come apart still end up in one entry; a group listed twice counts once.
/// </summary>
public sealed class MembershipIndex(int users = 0)
{
    private readonly Dictionary<string, string[]> _groupsOfUser = new(users, StringComparer.Ordinal);
    // Many users share the same groups: one array serves all of them.
    private readonly HashSet<string[]> _shared = new(GroupListComparer.Instance);
    private readonly List<string> _pending = [];
    private string? _user;

    public void Add(string user, string group)
    {
        if (!string.Equals(user, _user, StringComparison.Ordinal))
        {
            Flush();
            _user = user;
        }
        if (!_pending.Contains(group)) _pending.Add(group);
    }

    /// <summary>The finished index; the builder is not used again.</summary>
    public Dictionary<string, string[]> Build()
    {
        Flush();
        return _groupsOfUser;
    }

    private void Flush()
    {
        if (_user is null || _pending.Count == 0) return;
        if (_groupsOfUser.TryGetValue(_user, out var earlier))
            foreach (var group in earlier) if (!_pending.Contains(group)) _pending.Add(group);
        _pending.Sort(StringComparer.Ordinal);
        var list = _pending.ToArray();
        if (_shared.TryGetValue(list, out var existing)) list = existing;
        else _shared.Add(list);
        _groupsOfUser[_user] = list;
        _pending.Clear();
    }

    private sealed class GroupListComparer : IEqualityComparer<string[]>
    {
        public static readonly GroupListComparer Instance = new();

        public bool Equals(string[]? x, string[]? y) =>
            ReferenceEquals(x, y) || (x is not null && y is not null && x.AsSpan().SequenceEqual(y));

        public int GetHashCode(string[] list)
        {
            var hash = new HashCode();
            foreach (var group in list) hash.Add(group, StringComparer.Ordinal);
            return hash.ToHashCode();
        }
    }
}
