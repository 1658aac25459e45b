using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace AuthServer.Core.Data;

/// <summary>
/// ExecuteUpdate and ExecuteDelete write without SaveChanges, so the <see cref="RevisionInterceptor"/>
/// never sees them. On an entity a cache depends on they are refused when the query is compiled
/// (the first time a test runs that code), unless the write is of a kind that moves nothing (see
/// <see cref="CacheDependency.Writes"/>) or the query is tagged
/// <see cref="CacheDependencies.IgnoredColumnsOnly"/> (an update) or <see cref="CacheDependencies.EndedRowsOnly"/>
/// (a delete). Load the rows and change them instead.
/// </summary>
public sealed class BulkWriteGuard : IQueryExpressionInterceptor
{
    public static readonly BulkWriteGuard Instance = new();

    public Expression QueryCompilationStarting(Expression queryExpression, QueryExpressionEventData eventData)
    {
        if (queryExpression is not MethodCallExpression { Method: var method } call
            || method.DeclaringType != typeof(EntityFrameworkQueryableExtensions)
            || method.Name is not (nameof(EntityFrameworkQueryableExtensions.ExecuteUpdate) or nameof(EntityFrameworkQueryableExtensions.ExecuteDelete)))
            return queryExpression;

        var entity = method.GetGenericArguments()[0];
        if (CacheDependencies.Of(entity) is not { } dependency) return queryExpression;
        var update = method.Name == nameof(EntityFrameworkQueryableExtensions.ExecuteUpdate);
        var kind = update ? WriteKinds.Update : WriteKinds.Delete;
        if ((dependency.Writes & kind) == 0) return queryExpression;
        if (update && HasTag(call, CacheDependencies.IgnoredColumnsOnly)) return queryExpression;
        if (!update && HasTag(call, CacheDependencies.EndedRowsOnly)) return queryExpression;
        throw new InvalidOperationException(
            $"{method.Name} on {entity.Name} bypasses the revision interceptor, and caches depend on {entity.Name}; " +
            "change the rows through SaveChanges (see CacheDependencies)");
    }

    private static bool HasTag(Expression query, string tag)
    {
        var finder = new TagFinder(tag);
        finder.Visit(query);
        return finder.Found;
    }

    private sealed class TagFinder(string tag) : ExpressionVisitor
    {
        public bool Found { get; private set; }

        protected override Expression VisitMethodCall(MethodCallExpression node)
        {
            if (node.Method.Name == nameof(EntityFrameworkQueryableExtensions.TagWith)
                && node.Arguments.Count == 2 && node.Arguments[1] is ConstantExpression { Value: string value } && value == tag)
                Found = true;
            return base.VisitMethodCall(node);
        }
    }
}
