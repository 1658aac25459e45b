using Microsoft.Extensions.Options;

namespace AuthServer.Core.SignIn.Sources;

/// <summary>The configured identity sources in the order they are asked (<see cref="IdentitySourceOptions.Order"/>).</summary>
public sealed class IdentitySourceSet
{
    public IdentitySourceSet(IEnumerable<IIdentitySource> sources, IOptions<IdentitySourceOptions> options)
    {
        var all = sources.ToList();
        var order = options.Value.Order;
        Ordered = order.Count == 0
            ? [.. all.Where(s => s.Name == Identity.IdentitySources.Local), .. all.Where(s => s.Name != Identity.IdentitySources.Local)]
            : [.. order.Select(name => all.Single(s => s.Name == name))];
    }

    public IReadOnlyList<IIdentitySource> Ordered { get; }

    /// <summary>The problem with an order setting, given the configured sources' names; null when it is fine.</summary>
    public static string? Problem(IReadOnlyList<string> order, IReadOnlyCollection<string> configured)
    {
        if (order.FirstOrDefault(name => !configured.Contains(name)) is { } unknown)
            return $"{IdentitySourceOptions.Section}:Order names '{unknown}', which is not a configured identity source (configured: {string.Join(", ", configured)})";
        if (order.GroupBy(n => n).FirstOrDefault(g => g.Count() > 1) is { } twice)
            return $"{IdentitySourceOptions.Section}:Order names '{twice.Key}' twice";
        return null;
    }
}
