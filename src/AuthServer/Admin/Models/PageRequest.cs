using AuthServer.Core.Errors;

namespace AuthServer.Admin.Models;

/// <summary>The offset and limit query values of a paged list, checked once for every list.</summary>
public static class PageRequest
{
    public const int DefaultSize = 50;
    public const int MaxSize = 500;

    public static (int Offset, int Limit) Read(int? offset, int? limit)
    {
        var take = limit ?? DefaultSize;
        if (take is < 1 or > MaxSize) throw new ValidationFailedException("limit", $"limit must be between 1 and {MaxSize}");
        var skip = offset ?? 0;
        if (skip < 0) throw new ValidationFailedException("offset", "offset must not be negative");
        return (skip, take);
    }
}
