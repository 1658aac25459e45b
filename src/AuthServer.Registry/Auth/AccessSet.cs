namespace AuthServer.Registry.Auth;

/// <summary>
/// Actions per resource, keyed by (type, name) only: the class is ignored by 2.8 and 3.x alike
/// (token.go <c>accessSet</c>).
/// </summary>
public sealed class AccessSet
{
    private readonly Dictionary<(string Type, string Name), List<string>> _actions = new();
    private readonly List<(string Type, string Name)> _order = [];

    public void Add(string type, string name, string action)
    {
        if (!_actions.TryGetValue((type, name), out var set))
        {
            _actions[(type, name)] = set = [];
            _order.Add((type, name));
        }
        if (!set.Contains(action, StringComparer.Ordinal)) set.Add(action);
    }

    public static AccessSet Of(IEnumerable<AccessItem> items)
    {
        var set = new AccessSet();
        foreach (var i in items) set.Add(i.Type, i.Name, i.Action);
        return set;
    }

    /// <summary>util.go <c>actionSet.contains</c>: a granted <c>*</c> satisfies any action on that resource.</summary>
    public bool Contains(AccessItem item) =>
        _actions.TryGetValue((item.Type, item.Name), out var set)
        && (set.Contains(AccessItem.All, StringComparer.Ordinal) || set.Contains(item.Action, StringComparer.Ordinal));

    /// <summary>
    /// The challenge's <c>scope</c> value (accesscontroller.go <c>scopeParam</c>): one
    /// <c>type:name:actions</c> entry per resource, space-separated. Go's map order is random; ours
    /// keeps the order the request needed them in, so <c>pull,push</c> reads as clients send it.
    /// </summary>
    public string ScopeParam() => string.Join(' ', Describe());

    public IEnumerable<string> Describe() =>
        _order.Select(r => $"{r.Type}:{r.Name}:{string.Join(',', _actions[r])}");
}
