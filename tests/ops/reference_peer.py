"""The reference dashboard's 17 operations, re-implemented as it defines them: plain pandas over
its customer_scored frame (docs/OPERATIONS.md, "The reference's 17 operations", and issue 4).

Each function takes the filtered frame (the reference filters its frame with the sidebar's
selections first) and the operation's parameters, and returns what the reference returns,
under the reference's own key names: recency multiplied by 30 and called days, the high-value
share as a percentage, segment mixes as value_counts() dictionaries. An unknown sort key falls
back to the default and a segment the slice does not hold falls back to the slice's segments in
row order, silently, as the reference does. Nothing here is used by the product.
"""
import numpy as np
import pandas as pd

SEGMENT_COLUMN = "rfm_segment"


def apply_filters(df, filters):
    """The reference's sidebar: multiselects of province, segment, gender and card."""
    out = df
    for column, values in filters.items():
        values = values if isinstance(values, list) else [values]
        out = out[out[column].isin(values)]
    return out


def _mean(series):
    return float(series.mean()) if len(series) else float("nan")


def kpis(df):
    return {
        "customers": int(len(df)),
        "avg_clv": _mean(df["clv"]),
        "cancelled_rate": _mean(df["is_cancelled"].astype(float)),
        "avg_recency_days": _mean(df["recency"]) * 30,
        "avg_frequency": _mean(df["frequency"]),
        "avg_monetary": _mean(df["monetary"]),
        "avg_tenure_months": _mean(df["tenure_months"]),
        "avg_churn_score": _mean(df["churn_score"]),
    }


def kpis_baseline(full, _df):
    return kpis(full)


def kpis_slice(_full, df):
    out = kpis(df)
    out["median_clv"] = float(df["clv"].median())
    out["retention_rate"] = 1 - out["cancelled_rate"]
    threshold = df["clv"].quantile(0.75)
    high = int((df["clv"] > threshold).sum())
    out["high_value_customers"] = high
    out["high_value_pct"] = high / len(df) * 100 if len(df) else float("nan")
    return out


def group_metrics(df, column):
    out = df.groupby(column).agg(
        customers=("loyalty_number", "count"),
        avg_clv=("clv", "mean"),
        median_clv=("clv", "median"),
        avg_churn_score=("churn_score", "mean"),
        avg_recency=("recency", "mean"),
        avg_frequency=("frequency", "mean"),
        avg_monetary=("monetary", "mean"),
        avg_tenure_months=("tenure_months", "mean"),
        cancelled_rate=("is_cancelled", "mean"),
    )
    out["avg_recency_days"] = out.pop("avg_recency") * 30
    out["retention_rate"] = 1 - out["cancelled_rate"]
    return out.reset_index()


def _sorted_rows(table, sort_by, default, ascending, top_n):
    if sort_by not in table.columns:
        sort_by = default  # the reference's fallback for a key it does not know
    return table.sort_values(sort_by, ascending=ascending).head(top_n).to_dict("records")


def summary(column):
    def run(_full, df, top_n=10, sort_by="avg_churn_score", ascending=False):
        return {"rows": _sorted_rows(group_metrics(df, column), sort_by, "avg_churn_score",
                                     ascending, top_n)}
    return run


def value_at_risk(column):
    def run(_full, df, top_n=10, sort_by="total_value_at_risk", ascending=False):
        table = df.groupby(column).agg(
            total_value_at_risk=("churn_score", "sum"),
            total_clv=("clv", "sum"),
            customers=("loyalty_number", "count"),
            avg_churn_score=("churn_score", "mean"),
            avg_clv=("clv", "mean"),
            median_clv=("clv", "median"),
            cancelled_rate=("is_cancelled", "mean"),
        )
        table["retention_rate"] = 1 - table["cancelled_rate"]
        return {"rows": _sorted_rows(table.reset_index(), sort_by, "total_value_at_risk",
                                     ascending, top_n)}
    return run


def top_risk_customers(_full, df, top_n=25):
    columns = ["loyalty_number", "province", "loyalty_card", "clv", "rfm_segment", "churn_score"]
    return {"rows": df.nlargest(top_n, "churn_score")[columns].to_dict("records")}


def top_value_customers(_full, df, top_n=25, segment_filter=None):
    if segment_filter:
        df = df[df[SEGMENT_COLUMN] == segment_filter]
    columns = ["loyalty_number", "province", "loyalty_card", "clv", "rfm_segment", "frequency",
               "tenure_months", "is_cancelled"]
    return {"rows": df.nlargest(top_n, "clv")[columns].to_dict("records")}


def churn_by_clv_tier(_full, df):
    d = df.copy()
    d["clv_tier"] = pd.qcut(d["clv"], 3, labels=["Low", "Medium", "High"])
    table = d.groupby("clv_tier", observed=False).agg(
        customers=("loyalty_number", "count"),
        cancelled_rate=("is_cancelled", "mean"),
        avg_clv=("clv", "mean"),
        avg_churn_score=("churn_score", "mean"),
        total_clv=("clv", "sum"),
    )
    return {"rows": table.reset_index().assign(clv_tier=lambda t: t["clv_tier"].astype(str))
            .to_dict("records")}


def do_nothing_scenario(_full, df):
    customers = len(df)
    rate = _mean(df["is_cancelled"].astype(float))
    return {
        "customers": customers,
        "cancelled_rate": rate,
        "total_value_at_risk": float(df["churn_score"].sum()),
        "total_clv": float(df["clv"].sum()),
        "projected_customers_at_risk": customers * rate,
    }


def _top_by_value_at_risk(df, column):
    table = df.groupby(column).agg(
        total_value_at_risk=("churn_score", "sum"),
        total_clv=("clv", "sum"),
        customers=("loyalty_number", "count"),
        avg_churn_score=("churn_score", "mean"),
        avg_clv=("clv", "mean"),
    ).sort_values("total_value_at_risk", ascending=False)
    if table.empty:
        return {}
    return {column: table.index[0], **table.iloc[0].to_dict()}


def single_priority_initiative(_full, df):
    return {"top_segment": _top_by_value_at_risk(df, SEGMENT_COLUMN),
            "top_province": _top_by_value_at_risk(df, "province")}


def _segment_stats(df, segment):
    s = df[df[SEGMENT_COLUMN] == segment]
    return {
        "segment": segment,
        "customers": int(len(s)),
        "avg_clv": _mean(s["clv"]),
        "median_clv": float(s["clv"].median()),
        "total_clv": float(s["clv"].sum()),
        "avg_churn_score": _mean(s["churn_score"]),
        "total_value_at_risk": float(s["churn_score"].sum()),
        "cancelled_rate": _mean(s["is_cancelled"].astype(float)),
        "avg_recency_days": _mean(s["recency"]) * 30,
        "avg_frequency": _mean(s["frequency"]),
        "avg_monetary": _mean(s["monetary"]),
        "avg_tenure_months": _mean(s["tenure_months"]),
    }


def segment_comparison(_full, df, segment_a="Champions", segment_b="At Risk"):
    # A segment the slice does not hold: the slice's first segments, in row order.
    available = df[SEGMENT_COLUMN].dropna().unique().tolist()
    if segment_a not in available and available:
        segment_a = available[0]
    if segment_b not in available and available:
        segment_b = available[1] if len(available) > 1 else available[0]
    return {"segment_a": _segment_stats(df, segment_a), "segment_b": _segment_stats(df, segment_b)}


TENURE_BINS = [0, 6, 12, 24, 36, 60, np.inf]
TENURE_LABELS = ["0-6 months", "7-12 months", "13-24 months", "25-36 months", "37-60 months",
                 "60+ months"]


def tenure_analysis(_full, df):
    d = df.copy()
    d["tenure_bucket"] = pd.cut(d["tenure_months"], bins=TENURE_BINS, labels=TENURE_LABELS,
                                include_lowest=True)
    table = d.groupby("tenure_bucket", observed=False).agg(
        customers=("loyalty_number", "count"),
        cancelled_rate=("is_cancelled", "mean"),
        avg_clv=("clv", "mean"),
        avg_churn_score=("churn_score", "mean"),
        total_value_at_risk=("churn_score", "sum"),
    ).reset_index()
    table["tenure_bucket"] = table["tenure_bucket"].astype(str)
    return {"rows": table.sort_values("cancelled_rate", ascending=False).to_dict("records")}


def revenue_impact(_full, df):
    customers = len(df)
    rate = _mean(df["is_cancelled"].astype(float))
    avg_clv = _mean(df["clv"])
    years = max(1.0, _mean(df["tenure_months"]) / 12)
    projected = customers * rate
    threshold = df["churn_score"].quantile(0.75)
    high_risk = df[df["churn_score"] > threshold]
    return {
        "total_customers": customers,
        "cancelled_rate": rate,
        "avg_clv": avg_clv,
        "avg_tenure_years": years,
        "projected_churned_customers": projected,
        "projected_clv_loss": projected * avg_clv,
        "annual_revenue_per_customer": avg_clv / years,
        "projected_annual_loss": projected * avg_clv / years,
        "high_risk_customers": int(len(high_risk)),
        "high_risk_value_at_risk": float(high_risk["churn_score"].sum()),
    }


def correlation_drivers(_full, df):
    churned = df[df["is_cancelled"]]
    retained = df[~df["is_cancelled"]]
    comparison = {}
    for metric in ["recency", "frequency", "monetary", "tenure_months", "clv"]:
        c, r = _mean(churned[metric]), _mean(retained[metric])
        with np.errstate(divide="ignore", invalid="ignore"):
            diff = round(float(np.float64(c - r) / r * 100), 1)
        comparison[metric] = {"churned_avg": c, "retained_avg": r, "difference_pct": diff}
    return {
        "churned_count": int(len(churned)),
        "retained_count": int(len(retained)),
        "metrics_comparison": comparison,
        "churned_segment_distribution": churned[SEGMENT_COLUMN].value_counts().to_dict(),
        "retained_segment_distribution": retained[SEGMENT_COLUMN].value_counts().to_dict(),
    }


OPERATIONS = {
    "kpis_baseline": kpis_baseline,
    "kpis_slice": kpis_slice,
    "summary_by_segment": summary("rfm_segment"),
    "summary_by_province": summary("province"),
    "summary_by_card": summary("loyalty_card"),
    "summary_by_gender": summary("gender"),
    "top_risk_customers": top_risk_customers,
    "top_value_customers": top_value_customers,
    "value_at_risk_by_segment": value_at_risk("rfm_segment"),
    "value_at_risk_by_province": value_at_risk("province"),
    "churn_by_clv_tier": churn_by_clv_tier,
    "do_nothing_scenario": do_nothing_scenario,
    "single_priority_initiative": single_priority_initiative,
    "segment_comparison": segment_comparison,
    "tenure_analysis": tenure_analysis,
    "revenue_impact": revenue_impact,
    "correlation_drivers": correlation_drivers,
}


def run(full, name, filters=None, **params):
    """The reference's answer for one operation over `full` filtered by `filters`."""
    return OPERATIONS[name](full, apply_filters(full, filters or {}), **params)
