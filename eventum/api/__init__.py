"""The public JSON API (``/api/v1/``): the NinjaAPI assembly and the transport pieces every
endpoint shares — error bodies with stable codes, cursors, ETags, rate limits. The endpoints
themselves live in each app's ``api`` package and call its services and selectors."""
