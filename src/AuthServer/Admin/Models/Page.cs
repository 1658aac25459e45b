namespace AuthServer.Admin.Models;

/// <summary>One page of a list, with the total the filter matches.</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, int Total, int Offset, int Limit);
