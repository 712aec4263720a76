/** Labels of the places contracts (types, services, statuses …), shared by the apps (namespace common). */
export const placeLabels = {
  placeTypes: {
    station: '驿站', merchant: '爱心商家', compound: '小区', building: '楼宇', charging: '充换电站', canteen: '食堂',
    clinic: '诊所', school: '学校', market: '市场', farm: '农场', service_centre: '服务中心', parcel_locker: '外卖柜', relay_point: '接力点',
  },
  placeServices: {
    rest: '休息', water: '饮水', phone_charging: '手机充电', microwave: '微波炉', fridge: '冰箱', air_conditioning: '空调',
    first_aid: '急救药箱', lockers: '储物柜', restroom: '卫生间', wifi: '无线网络', umbrella: '雨具', repair_kit: '维修工具',
    reading: '阅读', shower: '淋浴', hot_meal: '热餐', love_meal: '10元爱心餐', discount: '优惠折扣', legal_aid: '法律援助',
    union_help: '工会帮扶', ebike_charging: '电动车充电', battery_swap: '换电', parking: '临时停车', delivery_elevator: '外卖专用电梯',
    green_channel: '配送绿色通道', parcel_storage: '物品暂存', medical: '医疗服务', laundry: '洗衣', counselling: '心理疏导',
  },
  placeStatuses: { draft: '草稿', active: '已上线', suspended: '已暂停', closed: '已关闭' },
  accessModes: { open: '自由进入', pass: '凭码进入', relay: '接力送', locker: '外卖柜', custom: '一区一策' },
  entryBuckets: { lt2: '2分钟内', '2to5': '2–5分钟', '5to10': '5–10分钟', gt10: '10分钟以上' },
  parkingOptions: { easy: '好停车', hard: '难停车', none: '不能停' },
  cabinetStates: { available: '有电池', empty: '无可用电池', offline: '离线', unknown: '状态未知' },
  merchantStates: { applied: '已申请', reviewed: '已审核', certified: '已认证', rejected: '未通过', suspended: '已暂停', exited: '已退出' },
  coordinateSystems: { WGS84: 'WGS-84（GPS）', GCJ02: 'GCJ-02（高德/腾讯）', BD09: 'BD-09（百度）' },
};
