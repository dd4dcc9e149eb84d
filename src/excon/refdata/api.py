from ninja import Router

router = Router(tags=["reference data"])
